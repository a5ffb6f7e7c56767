/* 13 lines 4 code 7 comments 2 blanks */
#include <asm/asm.h>
#define FOO 1

	.text
	; semicolon comment
	// line comment
/* block
   comment */
ENTRY(foo)
	mov %eax, %ebx	/* trailing */
	ret

