/* The ELF fixtures of the glibc check, built on Debian bookworm (glibc 2.36)
 * for x86-64:
 *   gcc -O2 -s -o glibc-2.34.elf glibc.c
 *   gcc -O2 -s -DNEWER -o glibc-2.36.elf glibc.c
 * Every program linked with glibc 2.34 or newer imports
 * __libc_start_main@GLIBC_2.34; arc4random is new in 2.36. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
#ifdef NEWER
	printf("%u\n", arc4random());
#else
	puts("hello");
#endif
	return 0;
}
