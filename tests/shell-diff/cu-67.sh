seq 4 | tac
echo abc > f
echo xyz >> f
tac f f
tac nofile; echo rc=$?
