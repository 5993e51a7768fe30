/* Where odf's programs live: beside the running executable. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "odf/path.h"

int
odf_program_path(const char *name, char *buf, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(buf, size, "%s/%s", self, name);
			if (access(buf, X_OK) == 0)
				return 0;
		}
	}
	snprintf(buf, size, "%s", name);
	return -1;
}
