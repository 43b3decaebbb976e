// Header-only target: the driver itself is compiler-rt's libFuzzer, linked by -sanitize=fuzzer.
#include "FuzzerDriver.h"
