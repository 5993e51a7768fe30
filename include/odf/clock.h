/* Time for rates, timeouts and redraws: seconds on the monotonic clock. */
#ifndef ODF_CLOCK_H
#define ODF_CLOCK_H

/* Seconds since an arbitrary start, never going back. */
double odf_clock(void);

#endif
