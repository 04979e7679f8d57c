-- The peer set nginx routes by, in shared memory (lua_shared_dict discovery_peers) so every worker
-- sees one set, and it survives reloads. Workers keep a parsed copy and compare a version number
-- on each request, so a new set applies to the very next request without a reload.
--
-- Keys: "set" = canonical text (its flags = the version it belongs to), "version" = latest version,
-- "seq" = version counter, "source" = where the set came from ("push" or the file loaded at start).
-- One writer at a time is assumed (the renderer, or consul-template's command): concurrent
-- writers are not locked against each other; the last write wins.

local peer_set = require("discovery.peer_set")

local ngx = ngx
local dict = ngx.shared.discovery_peers

local _M = {}

-- This worker's parsed copy of the set.
local cached = { version = -1, apps = {}, count = 0 }

-- Validates text and makes it the set nginx routes by. Returns the parsed set (with the lines it
-- skipped and why) and the new version, or nil and why nothing changed.
function _M.replace(text, source)
    local set, err = peer_set.parse(text)
    if not set then
        return nil, err
    end
    if set.count == 0 and set.skipped > 0 then
        -- Not one usable line: a broken sender, not an empty fleet. Keep routing by the last set.
        return nil, "no valid peer line (" .. table.concat(set.problems, "; ") .. ")"
    end
    local canonical = peer_set.format(set)
    local version, incr_err = dict:incr("seq", 1, 0)
    if not version then
        return nil, "shared memory: " .. tostring(incr_err)
    end
    -- The text first, then the version: a worker that sees the new version always finds its text.
    local ok, set_err = dict:safe_set("set", canonical, 0, version)
    if not ok then
        return nil, "shared memory: " .. tostring(set_err)
    end
    dict:set("source", source)
    dict:set("version", version)
    return set, version
end

-- The set as nginx holds it: canonical text, version (0 = nothing loaded yet) and source.
function _M.snapshot()
    local text, version = dict:get("set")
    return text or "", version or 0, dict:get("source") or "none"
end

-- This worker's parsed set, refreshed when another worker (or the endpoint) stored a newer one.
function _M.current()
    local version = dict:get("version") or 0
    if version ~= cached.version then
        local text, text_version = dict:get("set")
        local set = peer_set.parse(text or "")
        if set then
            cached = { version = text_version or version, apps = set.apps, count = set.count }
        end
    end
    return cached
end

-- At nginx start (init phase, master process): load the last set nginx accepted, so a restarted
-- nginx routes at once instead of waiting for the renderer. On a reload the shared memory
-- survives and already holds the newest set, which is kept.
function _M.load_file(path)
    if dict:get("version") then
        return
    end
    local file, open_err = io.open(path, "rb")
    if not file then
        ngx.log(ngx.WARN, "discovery peers: no saved peer set (", open_err, "); routing starts once the renderer pushes one")
        return
    end
    local text = file:read(peer_set.MAX_BYTES + 1)
    file:close()
    local set, err = _M.replace(text or "", "file " .. path)
    if not set then
        ngx.log(ngx.ERR, "discovery peers: ignoring saved peer set ", path, ": ", err)
        return
    end
    for _, problem in ipairs(set.problems) do
        ngx.log(ngx.WARN, "discovery peers: ", path, " ", problem, " (skipped)")
    end
    ngx.log(ngx.NOTICE, "discovery peers: loaded ", set.count, " peers from ", path)
end

return _M
