# 5 lines 2 code 2 comments 1 blanks
import os

# comment
x = 1  # inline
