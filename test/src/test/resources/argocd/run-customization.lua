-- Runs one Argo CD resource customization script (health.lua, discovery.lua or an action.lua) as
-- Argo CD runs it, and writes what it returned as JSON on standard output. ArgoCdHealthCheckTest
-- drives it; see there for how the result is judged.
--
--   lua5.1 run-customization.lua SCRIPT < INPUT
--
-- INPUT is a Lua chunk written by the test that returns {obj = <the resource>, actionParams = {...}}.
-- Argo CD (util/lua/lua.go) compiles SCRIPT as a chunk, i.e. a function, and calls it with the
-- resource in the global `obj` and action parameters in the global `actionParams`. For scripts
-- from argocd-cm it opens only the base, package and table libraries, plus a "safe" os module with
-- time and date that only require("os") returns (there is no global `os` there); there is no
-- string or math library and so no string methods. This runner gives SCRIPT the same environment
-- (a little stricter: no loadstring, setfenv or file functions) and removes the string metatable
-- while SCRIPT runs, so a script that works here works in Argo CD's sandbox. (Checked by hand
-- against gopher-lua v1.1.2 set up as Argo CD's VM does.)
-- A failure exits 1 with the Lua error on standard error.

local scriptPath = arg[1]
if scriptPath == nil then
  io.stderr:write("usage: lua5.1 run-customization.lua SCRIPT < INPUT\n")
  os.exit(2)
end

local inputChunk, inputError = loadstring(io.read("*a"), "=input")
if inputChunk == nil then
  io.stderr:write("input: ", inputError, "\n")
  os.exit(2)
end
local input = inputChunk()

local script, loadError = loadfile(scriptPath)
if script == nil then
  io.stderr:write(loadError, "\n")
  os.exit(1)
end

-- The sandbox: what Argo CD's Lua VM has without useOpenLibs.
local safeOs = { time = os.time, date = os.date }
local sandboxTable = {}
for name, fn in pairs(table) do
  sandboxTable[name] = fn
end
local env = {}
for _, name in ipairs({ "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
  "rawget", "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "unpack", "xpcall" }) do
  env[name] = _G[name]
end
env.print = function(...)
  -- standard output carries the result
  local parts = {}
  for i = 1, select("#", ...) do
    parts[i] = tostring((select(i, ...)))
  end
  io.stderr:write(table.concat(parts, "\t"), "\n")
end
env._VERSION = _VERSION
env._G = env
env.table = sandboxTable
env.package = { loaded = { _G = env, os = safeOs, table = sandboxTable } }
env.require = function(name)
  local module = env.package.loaded[name]
  if module == nil then
    error("module " .. tostring(name) .. " not found", 2)
  end
  return module
end
env.obj = input.obj
env.actionParams = input.actionParams or {}
setfenv(script, env)

local stringMetatable = getmetatable("")
debug.setmetatable("", nil)
local ok, result = pcall(script)
debug.setmetatable("", stringMetatable)
if not ok then
  io.stderr:write(tostring(result), "\n")
  os.exit(1)
end

-- JSON as Argo CD's encoder (layeh.com/gopher-json) makes it: a table whose keys are exactly
-- 1..n is an array, an empty table is [], any other table is an object with string keys.
local encode

local function quote(s)
  local escaped = s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    if c == "\n" then return "\\n" end
    if c == "\r" then return "\\r" end
    if c == "\t" then return "\\t" end
    return string.format("\\u%04x", c:byte())
  end)
  return '"' .. escaped .. '"'
end

local function encodeNumber(n)
  if n ~= n or n == math.huge or n == -math.huge then
    error("cannot encode " .. tostring(n) .. " to JSON")
  end
  if n == math.floor(n) and math.abs(n) < 1e15 then
    return string.format("%d", n)
  end
  return string.format("%.17g", n)
end

encode = function(value, seen)
  local kind = type(value)
  if kind == "nil" then
    return "null"
  elseif kind == "boolean" then
    return tostring(value)
  elseif kind == "number" then
    return encodeNumber(value)
  elseif kind == "string" then
    return quote(value)
  elseif kind ~= "table" then
    error("cannot encode " .. kind .. " to JSON")
  end
  if seen[value] then
    error("cannot encode recursively nested tables to JSON")
  end
  seen[value] = true
  local count = 0
  for _ in pairs(value) do
    count = count + 1
  end
  local isArray = true
  for i = 1, count do
    if value[i] == nil then
      isArray = false
      break
    end
  end
  local parts = {}
  if isArray then
    for i = 1, count do
      parts[i] = encode(value[i], seen)
    end
    seen[value] = nil
    return "[" .. table.concat(parts, ",") .. "]"
  end
  local keys = {}
  for key in pairs(value) do
    local name = type(key) == "number" and encodeNumber(key) or tostring(key)
    keys[#keys + 1] = { name = name, key = key }
  end
  table.sort(keys, function(a, b) return a.name < b.name end)
  for i, entry in ipairs(keys) do
    parts[i] = quote(entry.name) .. ":" .. encode(value[entry.key], seen)
  end
  seen[value] = nil
  return "{" .. table.concat(parts, ",") .. "}"
end

local encoded, json = pcall(encode, result, {})
if not encoded then
  io.stderr:write(tostring(json), "\n")
  os.exit(1)
end
io.write(json, "\n")
