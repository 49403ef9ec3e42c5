echo 'echo "script $1"; exit 4' > s.sh
bash s.sh arg; echo $?
