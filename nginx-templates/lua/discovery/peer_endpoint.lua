-- The loopback-only, authenticated endpoint the renderer pushes peer sets to (nginx.conf's peers
-- server). Every request needs "Authorization: Bearer <secret>"; the secret is read from a file
-- once at nginx start (init phase, so the file may be readable by the master only).
--
--   PUT  /discovery/peers   body = a whole peer set (peer_set.lua); replaces the current one.
--        200 with the set nginx now routes by, after "# accepted <n> peers, skipped <k> lines" and
--        one "# line <n>: <why>" per skipped line (comments, so the answer is itself a peer set and
--        one request both changes and reads back); 400/413 = refused, the current set stays.
--        Header X-Discovery-Peers-Version = the new version.
--   GET  /discovery/peers   the set nginx routes by now, in the same text form.
--        Headers X-Discovery-Peers-Version and X-Discovery-Peers-Source.
-- Both answers carry X-Discovery-Apps: the apps this nginx has an upstream for (upstreams.ctmpl's
-- $discovery_apps), space-separated, "-" for none; absent when the structure does not say. Peers
-- of any other app are kept but cannot be reached yet.

local peer_store = require("discovery.peer_store")
local bit = require("bit")

local ngx = ngx
local byte = string.byte

local _M = {}

local MIN_SECRET = 16
local secret

-- Init phase: reads the shared secret. Without a usable one the endpoint refuses every request.
function _M.load_secret(path)
    local file, err = io.open(path, "rb")
    if not file then
        ngx.log(ngx.ERR, "discovery peers: no push secret (", err, "); peer pushes will be refused")
        return
    end
    local text = (file:read(4096) or ""):gsub("%s+$", "")
    file:close()
    if #text < MIN_SECRET then
        ngx.log(ngx.ERR, "discovery peers: push secret in ", path, " is shorter than ", MIN_SECRET, " characters; peer pushes will be refused")
        return
    end
    secret = text
end

-- Compares in time independent of where the strings differ.
local function same(a, b)
    if #a ~= #b then
        return false
    end
    local diff = 0
    for i = 1, #a do
        diff = bit.bor(diff, bit.bxor(byte(a, i), byte(b, i)))
    end
    return diff == 0
end

local function respond(status, body)
    ngx.status = status
    ngx.header["Content-Type"] = "text/plain"
    ngx.print(body)
    return ngx.exit(status)
end

local function authorized()
    local header = ngx.var.http_authorization
    local given = header and header:match("^Bearer (%S+)$")
    return secret ~= nil and given ~= nil and same(given, secret)
end

function _M.handle()
    if not secret then
        return respond(ngx.HTTP_SERVICE_UNAVAILABLE, "no push secret configured\n")
    end
    if not authorized() then
        return respond(ngx.HTTP_UNAUTHORIZED, "missing or wrong bearer secret\n")
    end

    local apps = ngx.var.discovery_apps
    if apps then
        apps = apps:match("^%s*(.-)%s*$")
        ngx.header["X-Discovery-Apps"] = apps ~= "" and apps or "-"
    end
    local method = ngx.req.get_method()
    if method == "GET" then
        local text, version, source = peer_store.snapshot()
        ngx.header["X-Discovery-Peers-Version"] = version
        ngx.header["X-Discovery-Peers-Source"] = source
        return respond(ngx.HTTP_OK, text)
    end
    if method ~= "PUT" then
        ngx.header["Allow"] = "GET, PUT"
        return respond(ngx.HTTP_NOT_ALLOWED, "use GET or PUT\n")
    end

    ngx.req.read_body()
    local body = ngx.req.get_body_data()
    if not body then
        if ngx.req.get_body_file() then
            return respond(ngx.HTTP_REQUEST_ENTITY_TOO_LARGE, "peer set larger than the body buffer\n")
        end
        body = ""
    end
    local set, result = peer_store.replace(body, "push")
    if not set then
        ngx.log(ngx.ERR, "discovery peers: refused a push: ", result)
        return respond(ngx.HTTP_BAD_REQUEST, result .. "\n")
    end
    for _, problem in ipairs(set.problems) do
        ngx.log(ngx.WARN, "discovery peers: pushed ", problem, " (skipped)")
    end
    ngx.header["X-Discovery-Peers-Version"] = result
    local lines = { ("# accepted %d peers, skipped %d lines\n"):format(set.count, set.skipped) }
    for _, problem in ipairs(set.problems) do
        lines[#lines + 1] = "# " .. problem .. "\n"
    end
    lines[#lines + 1] = (peer_store.snapshot())
    return respond(ngx.HTTP_OK, table.concat(lines))
end

return _M
