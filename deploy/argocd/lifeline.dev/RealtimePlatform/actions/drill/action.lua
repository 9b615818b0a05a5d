-- Starts a failover drill: the operator of the cluster that holds this resource drains its own
-- region on purpose, holds it drained (annotation lifeline.dev/drill-hold-seconds, default 60 s),
-- then restores its weight in steps and records the measured times in status.drill.
-- A drill starts when lifeline.dev/drill changes to an id the operator has not seen; the id made
-- here is the current UTC time, e.g. drill-20260822-101500.
local os = require("os")
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["lifeline.dev/drill"] = "drill-" .. os.date("!%Y%m%d-%H%M%S")
return obj
