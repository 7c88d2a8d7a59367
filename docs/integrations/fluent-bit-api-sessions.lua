-- Fluent Bit Lua filter: a line of the nginx `api_sessions` JSON log format (docs/integrations/nginx.md), already
-- parsed by the `nginx_api_sessions` json parser, → an API Sessions ingest record (docs/ingest.md).
-- The same mapping as the importer's parse-nginx-json.ts and the Vector VRL (vector.toml). Lua 5.1 / LuaJIT.

local function str(v)
  if type(v) == "string" and v ~= "" and v ~= "-" then return v end
  return nil
end

local function num(v)
  if type(v) == "number" then return v end
  if type(v) == "string" and v:match("^%d+%.?%d*$") then return tonumber(v) end
  return nil
end

-- Non-empty string values of a map (nginx writes "" for an absent header or cookie); nil when none is left.
local function present(m)
  if type(m) ~= "table" then return nil end
  local out, n = {}, 0
  for k, v in pairs(m) do
    if type(k) == "string" and str(v) then
      out[k] = v
      n = n + 1
    end
  end
  if n == 0 then return nil end
  return out
end

-- Returns -1 (drop) for lines that cannot be a record, 2 (replace the record, keep the timestamp) otherwise.
function to_record(tag, timestamp, n)
  local msec, status = num(n["msec"]), num(n["status"])
  local method, uri, ip = str(n["request_method"]), str(n["request_uri"]), str(n["remote_addr"])
  -- nginx's answer to a request it could not parse has no method and no URI: nothing to ingest.
  if not msec or not status or not method or not uri or not ip then return -1, 0, 0 end

  local r = {
    ts = math.floor(msec * 1000 + 0.5),
    id = str(n["request_id"]),
    host = str(n["host"]),
    node = str(n["hostname"]),
    client_ip = ip,
    user = str(n["remote_user"]),
    method = method,
    path = uri,
    protocol = str(n["server_protocol"]),
    status = status,
    request_bytes = num(n["request_length"]),
    response_bytes = num(n["bytes_sent"]),
    user_agent = str(n["http_user_agent"]),
  }
  local seconds = num(n["request_time"])
  if seconds then r.duration_ms = math.floor(seconds * 1000000 + 0.5) / 1000 end
  local headers, cookies = present(n["headers"]), present(n["cookies"])
  if headers or cookies then r.identifiers = { headers = headers, cookies = cookies } end
  return 2, timestamp, r
end
