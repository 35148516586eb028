"""Running a plan in real time: the engine, the events it sends, and the clocks it runs on."""
