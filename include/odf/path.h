/* Finding odf's own programs: beside the running binary, as git does. */
#ifndef ODF_PATH_H
#define ODF_PATH_H

#include <stddef.h>

/*
 * The path of program `name` (e.g. "odf-export") in the directory of the
 * running executable, into buf. Returns 0 when that file is executable,
 * -1 otherwise (buf then holds just `name`, for a search of $PATH).
 */
int odf_program_path(const char *name, char *buf, size_t size);

#endif
