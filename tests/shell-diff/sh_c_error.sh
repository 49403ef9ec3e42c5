bash -c 'nosuch_cmd_q'
echo "st=$?"
bash -c 'echo (' ; echo "st=$?"
