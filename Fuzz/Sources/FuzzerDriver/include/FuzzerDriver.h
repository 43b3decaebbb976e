#ifndef FUZZER_DRIVER_H
#define FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/// libFuzzer's driver (compiler-rt, linked by `-sanitize=fuzzer`): reads the libFuzzer flags
/// in `argv` and runs `callback` on every input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Runs libFuzzer with the process arguments and exits with its status. SwiftPM renames an
/// executable's `main` (and points `main` at the renamed one), so libFuzzer's own `main` is
/// never used: each fuzzer's `@main` calls this instead.
static inline void FuzzerDriverMain(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size)) {
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback));
}

/// Reports a finding (`<fuzzer> finding: <what>`) on standard error and aborts, so libFuzzer
/// saves the input; Swift's `precondition` drops its message in release builds.
static inline _Noreturn void FuzzerReportFinding(const char *fuzzer, const char *finding) {
    fprintf(stderr, "%s finding: %s\n", fuzzer, finding);
    abort();
}

#endif
