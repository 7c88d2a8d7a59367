// Stand-in for css/svg/png imports in jest (see the plugin project's moduleNameMapper).
module.exports = 'file-stub';
