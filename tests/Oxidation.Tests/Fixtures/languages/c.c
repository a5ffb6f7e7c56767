// 16 lines 7 code 6 comments 3 blanks
#include <linux/module.h>

/*
 * A block comment

 * with a blank line inside.
 */
static const char *s = "/* not a comment */";
static char q = '"';
int a; /* trailing */
#define X(a) \
	do { a; } while (0)

// a line comment
int b; // and code
