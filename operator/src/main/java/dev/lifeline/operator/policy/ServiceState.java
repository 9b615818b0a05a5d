package dev.lifeline.operator.policy;

/**
 * The rule that keeps a control-plane fault from becoming a drain: a peer whose operator is silent is judged by its
 * service, from the three independent signals of {@link ServiceEvidence}. Pure; the table of
 * {@code policy/README.md} ("A region is down only when its service is down") is this function.
 *
 * <ul>
 *   <li>{@link #ALIVE}: any signal shows the service alive. Only the operator is silent (crash, upgrade, slow AWS
 *       call, partition from the table): a condition, an Event and a metric, never a drain.</li>
 *   <li>{@link #DOWN}: the instance heartbeats are silent and the direct probe is unanswered, and Route 53 does not
 *       see the endpoint healthy (unhealthy, or no verdict: Latency and Failover routing, a check not found). Two
 *       readings that were actually taken, both negative, and none positive.</li>
 *   <li>{@link #IN_DOUBT}: anything else (a signal could not be read, none answers): a doubt never becomes a drain.</li>
 * </ul>
 */
public enum ServiceState {
    ALIVE, DOWN, IN_DOUBT;

    public static ServiceState of(ServiceEvidence e) {
        if (e.instances() == ServiceSignal.ANSWERS || e.route53() == ServiceSignal.ANSWERS
                || e.probe() == ServiceSignal.ANSWERS) {
            return ALIVE;
        }
        if (e.instances() == ServiceSignal.SILENT && e.probe() == ServiceSignal.SILENT) {
            return DOWN;
        }
        return IN_DOUBT;
    }
}
