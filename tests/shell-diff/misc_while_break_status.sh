while true; do break; done; echo $?
for i in 1; do false; break; done; echo $?
