nosuch_command_abc arg
echo "st=$?"
