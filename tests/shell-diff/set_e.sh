set -e
echo one
false || echo handled
if false; then :; fi
! true
echo two
false
echo never
