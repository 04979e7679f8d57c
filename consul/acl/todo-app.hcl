# Policy "discovery-todo-app": the todo sample app on every node.
# Least privilege: it only reads which Postgres members pass their checks (a blocking query on
# /v1/health/service/pg); it registers nothing and reads no KV.

service "pg" {
  policy = "read"
}

node_prefix "" {
  policy = "read"
}
