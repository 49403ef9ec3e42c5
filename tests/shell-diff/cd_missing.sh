cd /nonexistent_dir_xyz
echo "st=$?"
pwd >/dev/null
