echo() { builtin_echo_not_used; }
command echo via command
unset -f echo
echo plain
