{ echo a; echo b; echo c; } > one
{ echo b; echo c; echo d; } > two
comm one two
comm -12 one two
comm -23 one two
comm -3 --output-delimiter=' | ' one two
comm one; echo rc=$?
