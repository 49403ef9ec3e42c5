x=hello
declare -p x
export x
declare -p x
