f() { :; }
command -v echo
command -v f
command -v if
command -v nosuchcommand_xyz; echo $?
