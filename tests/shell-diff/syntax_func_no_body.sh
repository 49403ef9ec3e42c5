f()
echo x
