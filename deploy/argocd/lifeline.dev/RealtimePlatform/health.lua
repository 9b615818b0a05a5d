-- Argo CD health check for lifeline.dev/RealtimePlatform.
--
-- Reads the status the Lifeline operator writes (operator/src/main/java/dev/lifeline/operator/status/
-- PlatformStatusBuilder.java): status.observedGeneration and the conditions Ready,
-- WorkloadsAvailable, SessionStoreReady, DnsReady, RegionsHealthy, Degraded and the kstatus pair
-- Reconciling and Stalled (ProgressConditions.java; what Flux reads), each with a reason and a message.
--
-- In order:
--   no status yet                                   -> Progressing
--   Degraded True for the current generation        -> Degraded (also for a status whose
--                                                      observedGeneration an older operator left behind)
--   status.observedGeneration < metadata.generation -> Progressing (the spec change is not observed yet)
--   Stalled True                                    -> Degraded (only a person can unblock it)
--   Ready False because of a failure                -> Degraded (any reason but Progressing or Pending,
--                                                      e.g. WorkloadsAvailable RegionNotListed)
--   spec.paused true                                -> Suspended (no restarts, reroutes or scaling)
--   Ready True, Reconciling True                    -> Progressing (the workloads roll out the spec)
--   Ready True                                      -> Healthy
--   anything else                                   -> Progressing (pods starting, AWS changes Pending)
--
-- Written for Argo CD's default Lua sandbox: only the base and table libraries (and time and date
-- through require("os")); no string or math library, so no string methods either.

local hs = {}

-- Reasons of a False condition that mean "on its way", not "failed".
local progressingReasons = {
  Progressing = true, -- WorkloadsAvailable: waiting for the Deployments' replicas
  Pending = true,     -- SessionStoreReady, DnsReady: an AWS change is in flight
}

local function findCondition(conditions, conditionType)
  for _, condition in ipairs(conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function describe(condition)
  local text = condition.type
  if condition.reason ~= nil and condition.reason ~= "" then
    text = text .. " (" .. condition.reason .. ")"
  end
  if condition.message ~= nil and condition.message ~= "" then
    text = text .. ": " .. condition.message
  end
  return text
end

if obj.status == nil or obj.status.conditions == nil or next(obj.status.conditions) == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lifeline operator to report status"
  return hs
end

local conditions = obj.status.conditions
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration

local degraded = findCondition(conditions, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  local current = generation == nil or degraded.observedGeneration == nil
    or degraded.observedGeneration >= generation
  if current then
    hs.status = "Degraded"
    hs.message = describe(degraded)
    return hs
  end
end

if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  if observed == nil then
    hs.message = "Waiting for the Lifeline operator to observe generation " .. generation
  else
    hs.message = "Waiting for the Lifeline operator to observe generation " .. generation
      .. " (status is of generation " .. observed .. ")"
  end
  return hs
end

local stalled = findCondition(conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

local ready = findCondition(conditions, "Ready")
local waiting = {}
if ready ~= nil and ready.status == "False" then
  if ready.reason ~= "NotReady" and not progressingReasons[ready.reason] then
    hs.status = "Degraded"
    hs.message = describe(ready)
    return hs
  end
  -- NotReady: Ready lists the conditions it waits for; a failed one makes the platform Degraded.
  for _, conditionType in ipairs({ "WorkloadsAvailable", "SessionStoreReady", "DnsReady" }) do
    local condition = findCondition(conditions, conditionType)
    if condition ~= nil and condition.status == "False" and not progressingReasons[condition.reason] then
      hs.status = "Degraded"
      hs.message = describe(condition)
      return hs
    end
    if condition ~= nil and condition.status ~= "True" then
      table.insert(waiting, describe(condition))
    end
  end
end

if obj.spec ~= nil and obj.spec.paused == true then
  hs.status = "Suspended"
  hs.message = "spec.paused is true: Lifeline makes no restarts, reroutes or scaling until resumed"
  if ready ~= nil then
    hs.message = hs.message .. "; " .. describe(ready)
  end
  return hs
end

local reconciling = findCondition(conditions, "Reconciling")
if ready ~= nil and ready.status == "True" and reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or ""
  local regions = findCondition(conditions, "RegionsHealthy")
  if regions ~= nil and regions.status ~= "True" then
    hs.message = hs.message .. " " .. describe(regions)
  end
  return hs
end

hs.status = "Progressing"
if next(waiting) ~= nil then
  hs.message = table.concat(waiting, "; ")
elseif ready ~= nil then
  hs.message = describe(ready)
else
  hs.message = "Waiting for the Ready condition"
end
return hs
