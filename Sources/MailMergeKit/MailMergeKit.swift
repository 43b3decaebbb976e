// Use cases: merge a CSV, log a segment. (To be written.)
