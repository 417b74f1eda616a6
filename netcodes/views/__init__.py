"""Pages of the NetCode app, one module per task: generate, history, bulk, usage."""
