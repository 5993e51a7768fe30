/* The monotonic clock, in seconds as a double. */
#include <time.h>

#include "odf/clock.h"

double
odf_clock(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
