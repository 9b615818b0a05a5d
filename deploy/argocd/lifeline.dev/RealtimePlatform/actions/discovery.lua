-- Argo CD resource actions for lifeline.dev/RealtimePlatform.
--   pause:  spec.paused = true, Lifeline stops remediating (no restarts, reroutes or scaling;
--           workloads are still reconciled). Offered while not paused.
--   resume: spec.paused = false. Offered while paused.
--   drill:  a failover drill of the region whose cluster holds this resource (a new value of the
--           annotation lifeline.dev/drill). Offered while not paused (a paused operator does not
--           drain) and when no drill is running or waiting to start.
-- Written for Argo CD's default Lua sandbox (base and table libraries; time and date through
-- require("os"); no string or math library).

local actions = {}

local paused = obj.spec ~= nil and obj.spec.paused == true

local drillBusy = false
local drill = nil
if obj.status ~= nil then
  drill = obj.status.drill
end
if drill ~= nil and (drill.phase == "Draining" or drill.phase == "Restoring") then
  drillBusy = true
end
local requested = nil
if obj.metadata.annotations ~= nil then
  requested = obj.metadata.annotations["lifeline.dev/drill"]
end
if requested ~= nil and requested ~= "" and (drill == nil or drill.id ~= requested) then
  -- requested but not picked up by the operator yet
  drillBusy = true
end

actions["pause"] = {
  ["disabled"] = paused,
  ["displayName"] = "Pause self-healing",
  ["iconClass"] = "fa fa-fw fa-pause-circle",
}
actions["resume"] = {
  ["disabled"] = not paused,
  ["displayName"] = "Resume self-healing",
  ["iconClass"] = "fa fa-fw fa-play-circle",
}
actions["drill"] = {
  ["disabled"] = paused or drillBusy,
  ["displayName"] = "Start failover drill",
  ["iconClass"] = "fa fa-fw fa-life-ring",
}

return actions
