/* The ELF fixture of the shared library check, built on Debian bookworm
 * for x86-64, needing zlib (by its soname, without zlib's headers) and
 * looking in $ORIGIN/lib first:
 *   gcc -O2 -s -o libs.elf libs.c -l:libz.so.1 -Wl,-rpath,'$ORIGIN/lib'
 * gcc writes the run path as DT_RUNPATH. */
#include <stdio.h>

const char *zlibVersion(void);

int main(void) {
	puts(zlibVersion());
	return 0;
}
