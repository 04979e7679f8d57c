module discovery/goldengen

go 1.19
