import PrivctlCommands

PrivctlMain.run()
