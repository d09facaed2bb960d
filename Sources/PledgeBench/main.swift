print("pledge-bench: benchmarks arrive with the vault work")
