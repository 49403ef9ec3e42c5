type echo
type if
type -t echo
type nosuch_cmd_zz; echo $?
