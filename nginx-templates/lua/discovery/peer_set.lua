-- A peer set in Discovery's text form: what the renderer (or consul-template) pushes, what nginx
-- keeps, persists and answers on GET. One peer per line, fields separated by single spaces:
--
--   <app> <address>:<port> <weight> <instance-id>
--   web 127.0.0.21:9000 1 web-node-1-9000
--   web [fd00::5]:9001 3 web-node-2-9001
--
-- Fields are separated by single spaces. Blank lines and lines starting with "#" are ignored. Everything here is untrusted input (it came
-- over the network from data Consul holds): every line is validated, an invalid line is skipped with
-- its reason, and only IP literals are accepted, so no peer ever needs a DNS lookup.
-- (Plain text rather than JSON: Debian's ngx_lua ships no JSON library, and this format is checked
-- field by field with string patterns.)

local tonumber = tonumber
local concat = table.concat
local insert = table.insert
local sort = table.sort
local format = string.format

local _M = {}

-- Bounds that keep a push (and the shared memory that holds it) small whatever the sender does.
_M.MAX_BYTES = 1024 * 1024
_M.MAX_PEERS = 10000
_M.MAX_LINE = 512
_M.MAX_WEIGHT = 1000
local MAX_NAME = 128
local MAX_PROBLEMS = 20

-- App names as the node agent accepts them (NodeAgentConfigLoader.NamePattern), instance IDs a
-- little wider (node names and ports joined with '-').
local function valid_name(name, max)
    return #name <= max and name:find("^[%w][%w._-]*$") ~= nil
end

local function valid_ipv4(address)
    local a, b, c, d = address:match("^(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)$")
    if not a then
        return false
    end
    for _, octet in ipairs({ a, b, c, d }) do
        if tonumber(octet) > 255 or (#octet > 1 and octet:sub(1, 1) == "0") then
            return false
        end
    end
    return true
end

-- Up to 8 groups of 1-4 hex digits, at most one "::" standing for one or more zero groups, and
-- optionally a dotted IPv4 tail counting as two groups (::ffff:10.0.0.1).
local function valid_ipv6_groups(text)
    if text == "" then
        return 0
    end
    local groups = 0
    for group in (text .. ":"):gmatch("([^:]*):") do
        if not group:find("^%x%x?%x?%x?$") then
            return nil
        end
        groups = groups + 1
    end
    return groups
end

local function valid_ipv6(bracketed)
    local inner = bracketed:match("^%[([%x:%.]+)%]$")
    if not inner or #inner < 2 or #inner > 45 then
        return false
    end
    local tail_groups = 0
    local head, tail = inner:match("^(.*:)(%d+%.%d+%.%d+%.%d+)$")
    if head then
        if not valid_ipv4(tail) then
            return false
        end
        inner, tail_groups = head, 2
        -- "::" before the tail keeps both colons; a single one was only the separator.
        if inner:sub(-2) ~= "::" then
            inner = inner:sub(1, -2)
        end
    end
    if inner:find(".", 1, true) then
        return false
    end
    local left, right = inner:match("^(.-)::(.*)$")
    if left then
        if right:find("::", 1, true) then
            return false
        end
        local l, r = valid_ipv6_groups(left), valid_ipv6_groups(right)
        return l ~= nil and r ~= nil and l + r + tail_groups <= 7
    end
    local groups = valid_ipv6_groups(inner)
    return groups ~= nil and groups + tail_groups == 8
end

-- Parses one non-comment line; returns a peer or nil and the reason.
local function parse_line(line)
    if #line > _M.MAX_LINE then
        return nil, "line longer than " .. _M.MAX_LINE .. " bytes"
    end
    -- The address is everything up to the last ':' of the second field (IPv6 literals hold colons).
    local app, address, port, weight, id = line:match("^([^ ]+) ([^ ]+):(%d+) (%d+) ([^ ]+)$")
    if not app then
        return nil, "expected '<app> <address>:<port> <weight> <instance-id>'"
    end
    if not valid_name(app, MAX_NAME) then
        return nil, "invalid app name"
    end
    if not (valid_ipv4(address) or valid_ipv6(address)) then
        return nil, "address is not an IPv4 literal or a bracketed IPv6 literal"
    end
    port = #port <= 5 and tonumber(port) or 0
    if port < 1 or port > 65535 then
        return nil, "port out of range 1-65535"
    end
    weight = #weight <= 4 and tonumber(weight) or 0
    if weight < 1 or weight > _M.MAX_WEIGHT then
        return nil, "weight out of range 1-" .. _M.MAX_WEIGHT
    end
    if not valid_name(id, MAX_NAME) then
        return nil, "invalid instance id"
    end
    return { app = app, address = address, port = port, weight = weight, id = id, endpoint = address .. ":" .. port }
end

-- Parses a whole set. Returns the set, or nil and the reason when the text as a whole is refused
-- (too big, too many peers). The set: { apps = { [app] = { peer, ... } }, count = n, problems = { "line n: why", ... } }.
function _M.parse(text)
    if type(text) ~= "string" then
        return nil, "no peer set"
    end
    if #text > _M.MAX_BYTES then
        return nil, "peer set larger than " .. _M.MAX_BYTES .. " bytes"
    end
    local set = { apps = {}, count = 0, problems = {}, skipped = 0 }
    local seen = {}
    local number = 0
    for line in text:gmatch("([^\n]*)\n?") do
        number = number + 1
        line = line:gsub("\r$", "")
        if line ~= "" and line:sub(1, 1) ~= "#" then
            local peer, why = parse_line(line)
            if peer and seen[peer.app .. " " .. peer.endpoint] then
                peer, why = nil, "duplicate of an earlier line for " .. peer.app .. " " .. peer.endpoint
            end
            if peer then
                if set.count >= _M.MAX_PEERS then
                    return nil, "more than " .. _M.MAX_PEERS .. " peers"
                end
                seen[peer.app .. " " .. peer.endpoint] = true
                local peers = set.apps[peer.app]
                if not peers then
                    peers = {}
                    set.apps[peer.app] = peers
                end
                insert(peers, peer)
                set.count = set.count + 1
            else
                set.skipped = set.skipped + 1
                if #set.problems < MAX_PROBLEMS then
                    insert(set.problems, format("line %d: %s", number, why))
                end
            end
        end
    end
    return set
end

-- The canonical text of a parsed set: apps sorted by name, peers in the order they were given.
function _M.format(set)
    local apps = {}
    for app in pairs(set.apps) do
        insert(apps, app)
    end
    sort(apps)
    local lines = {}
    for _, app in ipairs(apps) do
        for _, peer in ipairs(set.apps[app]) do
            insert(lines, format("%s %s %d %s", app, peer.endpoint, peer.weight, peer.id))
        end
    end
    if #lines == 0 then
        return ""
    end
    return concat(lines, "\n") .. "\n"
end

return _M
