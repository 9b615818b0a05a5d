package dev.lifeline.test.harness;

/**
 * One region without AWS: a control plane with the CRD and the operator's namespace, and the
 * packaged operator running against it with in-memory DNS and session store.
 */
public final class SingleRegion implements AutoCloseable {

    private final ControlPlane plane;
    private final OperatorProcess operator;

    private SingleRegion(ControlPlane plane, OperatorProcess operator) {
        this.plane = plane;
        this.operator = operator;
    }

    public static SingleRegion start(String name, String region) {
        ControlPlane plane = ControlPlane.start(name);
        try {
            plane.installCrds();
            plane.createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
            return new SingleRegion(plane,
                    OperatorProcess.start(name, plane.kubeconfig(), region, OperatorProcess.WITHOUT_AWS));
        } catch (RuntimeException e) {
            plane.close();
            throw e;
        }
    }

    public ControlPlane plane() {
        return plane;
    }

    public OperatorProcess operator() {
        return operator;
    }

    @Override
    public void close() {
        operator.close();
        plane.close();
    }
}
