target=value
name=target
echo ${!name}
n=1; set -- first second; echo ${!n}
