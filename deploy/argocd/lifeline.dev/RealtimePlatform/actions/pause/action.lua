-- Pauses Lifeline's self-healing for this platform: no restarts, reroutes or scaling until resumed.
-- Workloads are still reconciled, and circuit breakers keep tracking health.
obj.spec.paused = true
return obj
