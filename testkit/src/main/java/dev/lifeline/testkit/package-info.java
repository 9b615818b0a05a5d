/**
 * Real emulator processes for tests (moto server for DynamoDB and Route 53, the fault-injecting
 * proxy). Each harness starts what it needs itself, so tests pass on a brand-new machine.
 *
 * <ul>
 *   <li>{@link dev.lifeline.testkit.MotoServer}: {@code MotoServer.start()} (or {@code shared()}, one
 *       per JVM), {@code endpoint()} for the SDK's {@code endpointOverride}, {@code reset()}, {@code stop()}.
 *       Any region and any static credentials. Provisions {@code moto[server]} into
 *       {@code ~/.cache/lifeline/moto-venv} when {@code python3} lacks it. The launcher
 *       ({@code lifeline_moto.py}) adds DynamoDB global-table replicas (2019.11.21) and corrects
 *       Route 53 where moto differs from AWS; see its docstring.</li>
 *   <li>{@link dev.lifeline.testkit.FaultProxy}: {@code FaultProxy.start(moto.endpoint())}, point the
 *       client at {@code proxy.endpoint()}, {@code inject(Fault...)} /{@code clearFaults()}; every
 *       request is recorded under its IAM action name ({@code calls()}, {@code count(action)},
 *       {@code actions()}, {@code permissionsNeeded()}).</li>
 * </ul>
 */
package dev.lifeline.testkit;
