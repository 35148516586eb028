"""Running a plan in real time: the engine, the events it sends, its listeners' fan-out, its
time ledger, and the clocks it runs on."""
