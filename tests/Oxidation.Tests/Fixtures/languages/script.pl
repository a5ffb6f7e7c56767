# 5 lines 2 code 2 comments 1 blanks
use strict;

# comment
print "x";
