cat < nosuchfile
echo "st=$?"
echo x > /nonexistent_dir_q/f
echo "st=$?"
