echo x | sed 's/[/x/'
echo x | sed 's/a\{1/x/'
echo x | sed -E 's/*/x/'
echo x | sed -n '/[:space:]/p'
echo "rc=$?"
