# 6 lines 2 code 3 comments 1 blanks
#!/bin/sh
set -e

echo "# not a comment"  # inline is code (cloc)
   # indented comment
