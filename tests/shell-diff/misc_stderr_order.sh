echo out1
echo err1 >&2
echo out2
