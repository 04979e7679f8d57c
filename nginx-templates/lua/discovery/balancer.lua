-- Picks the instance for each proxied request from the peer set in shared memory (peer_store), so
-- instance changes need no nginx reload. Called from nginx.conf's access phase (503 when an app
-- has no peer) and from every upstream's balancer_by_lua_block (upstreams.ctmpl).
--
-- Smooth weighted round-robin, nginx's own algorithm: each pick adds every peer's weight to its
-- running score, takes the highest and subtracts the total, so weights 5:1:1 give a a b a c a a
-- rather than bursts. State is per worker (as nginx's round-robin is per worker without a zone).
-- A retry (proxy_next_upstream) never goes back to a peer this request already tried while another
-- one is left.

local ngx_balancer = require("ngx.balancer")
local peer_store = require("discovery.peer_store")

local ngx = ngx
local min = math.min

local _M = {}

-- At most this many further tries per request; proxy_next_upstream_tries caps it as well.
local MAX_RETRIES = 2

-- Per app: the peer list of the set version the scores belong to, and the scores.
local rounds = {}

local function pick(app, peers, version, tried)
    local round = rounds[app]
    if not round or round.version ~= version or round.peers ~= peers then
        round = { version = version, peers = peers, score = {} }
        rounds[app] = round
    end
    local score = round.score
    local best, best_score, total = nil, nil, 0
    for i = 1, #peers do
        local peer = peers[i]
        if not (tried and tried[peer.endpoint]) then
            local s = (score[i] or 0) + peer.weight
            score[i] = s
            total = total + peer.weight
            if not best_score or s > best_score then
                best, best_score = i, s
            end
        end
    end
    if not best then
        return nil
    end
    score[best] = score[best] - total
    return peers[best]
end

-- The request's app (nginx.conf's $discovery_app), its peers (nil when it has none) and the set's version.
local function peers_of_request()
    local app = ngx.var.discovery_app
    local set = peer_store.current()
    local peers = set.apps[app]
    if peers and #peers == 0 then
        peers = nil
    end
    return app, peers, set.version
end

-- Access phase: an app without a peer answers 503 with a plain reason (as nginx.conf does for an
-- app without an upstream), instead of a bare 502 from the balancer.
function _M.require_peers()
    local app, peers = peers_of_request()
    if not peers then
        ngx.status = ngx.HTTP_SERVICE_UNAVAILABLE
        ngx.header["Content-Type"] = "text/plain"
        ngx.say("no healthy instance of ", app)
        return ngx.exit(ngx.HTTP_SERVICE_UNAVAILABLE)
    end
end

-- Balancer phase (every try of a request): choose the peer and allow retries on other peers.
function _M.balance()
    local app, peers, version = peers_of_request()
    if not peers then
        -- The set changed between the access phase and now: nothing to route to.
        ngx.log(ngx.WARN, "discovery balancer: no peer for ", app)
        return ngx.exit(ngx.HTTP_SERVICE_UNAVAILABLE)
    end

    local ctx = ngx.ctx
    local tried = ctx.discovery_tried
    if not tried then
        tried = {}
        ctx.discovery_tried = tried
        if #peers > 1 then
            ngx_balancer.set_more_tries(min(#peers - 1, MAX_RETRIES))
        end
    end

    -- Every peer tried already (fewer peers than tries): start over rather than fail.
    local peer = pick(app, peers, version, tried) or pick(app, peers, version, nil)
    tried[peer.endpoint] = true
    local ok, err = ngx_balancer.set_current_peer(peer.address, peer.port)
    if not ok then
        ngx.log(ngx.ERR, "discovery balancer: cannot use ", peer.endpoint, " (", peer.id, "): ", err)
        return ngx.exit(ngx.HTTP_BAD_GATEWAY)
    end
end

return _M
