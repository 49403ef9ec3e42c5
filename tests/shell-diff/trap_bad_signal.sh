trap 'echo x' NOPE; echo $?
