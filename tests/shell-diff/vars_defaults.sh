[ "$IFS" = $' \t\n' ] && echo default-ifs; echo $OPTIND $UID $EUID
[ "$EUID" -ne 0 ] && echo notroot || echo root
echo ${BASH_VERSION%%.*}
echo $BASH_SUBSHELL; (echo $BASH_SUBSHELL; (echo $BASH_SUBSHELL)); echo $(echo $BASH_SUBSHELL)
