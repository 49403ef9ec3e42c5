x=1
cat <<-EOF
	indented $x
		double
	EOF
echo done
