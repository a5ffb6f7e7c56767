/* 12 lines 6 code 4 comments 2 blanks */
#ifndef _X_H
#define _X_H

/**
 * struct foo - kernel-doc
 */
struct foo {
	int a;	/* member */
};

#endif /* _X_H */
