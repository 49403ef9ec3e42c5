alias ll='ls -l'; alias; alias ll; alias nope; echo $?; unalias ll; unalias ll; echo $?
hash; hash echo; echo $?
umask
